"""Microdeposits: account verification by two small ACH deposits, on the tenant's virtual clock."""
