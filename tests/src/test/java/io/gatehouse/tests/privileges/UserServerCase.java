package io.gatehouse.tests.privileges;

import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.ThrowawayUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** A test class with a throwaway user and one Gatehouse, stopped before the user is removed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UserServerCase {
    ThrowawayUser user;
    GatehouseProcess server;
    int port;

    @AfterAll
    void stop() {
        if (server != null) {
            server.close(); // userdel refuses a user whose processes still run
        }
        if (user != null) {
            user.close();
        }
    }
}
