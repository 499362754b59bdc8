"""Services: verb-named operations that own transactions and the audit trail; every channel calls these."""
