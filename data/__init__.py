"""Sample workbooks, synthetic demo data and the default store."""
