import Reporting

print("motcua-reporting")
