print("crmq")
