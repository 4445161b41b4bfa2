"""The identity service: tenants, accounts, sign-in, tokens and the contacts directory."""
