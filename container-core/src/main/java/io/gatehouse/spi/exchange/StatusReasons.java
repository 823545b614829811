package io.gatehouse.spi.exchange;

/** The standard reason phrases of HTTP status codes (RFC 9110 section 15). */
public final class StatusReasons {
    private static final String[] REASONS = new String[600];

    static {
        String[] table = {
            "100", "Continue", "101", "Switching Protocols",
            "200", "OK", "201", "Created", "202", "Accepted", "203", "Non-Authoritative Information",
            "204", "No Content", "205", "Reset Content", "206", "Partial Content",
            "300", "Multiple Choices", "301", "Moved Permanently", "302", "Found", "303", "See Other",
            "304", "Not Modified", "307", "Temporary Redirect", "308", "Permanent Redirect",
            "400", "Bad Request", "401", "Unauthorized", "403", "Forbidden", "404", "Not Found",
            "405", "Method Not Allowed", "406", "Not Acceptable", "408", "Request Timeout", "409", "Conflict",
            "410", "Gone", "411", "Length Required", "412", "Precondition Failed", "413", "Content Too Large",
            "414", "URI Too Long", "415", "Unsupported Media Type", "416", "Range Not Satisfiable",
            "417", "Expectation Failed", "421", "Misdirected Request", "422", "Unprocessable Content",
            "426", "Upgrade Required", "428", "Precondition Required", "429", "Too Many Requests",
            "431", "Request Header Fields Too Large",
            "500", "Internal Server Error", "501", "Not Implemented", "502", "Bad Gateway",
            "503", "Service Unavailable", "504", "Gateway Timeout", "505", "HTTP Version Not Supported",
        };
        for (int i = 0; i < table.length; i += 2) {
            REASONS[Integer.parseInt(table[i])] = table[i + 1];
        }
    }

    private StatusReasons() {
    }

    /** The phrase for {@code status}, or a generic one for its class when the code is not registered. */
    public static String of(int status) {
        if (status >= 100 && status < 600 && REASONS[status] != null) {
            return REASONS[status];
        }
        return status < 200 ? "Informational" : status < 300 ? "Success" : status < 400 ? "Redirection"
                : status < 500 ? "Client Error" : "Server Error";
    }
}
