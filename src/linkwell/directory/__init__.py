"""The service directory: Open Referral UK / HSDS 3.0 data, import, export and demo data."""
