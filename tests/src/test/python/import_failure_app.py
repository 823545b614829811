"""An app that raises while it is imported, as a broken deploy does."""


def connect_to_database():
    raise RuntimeError('deliberate failure at import')


connect_to_database()
