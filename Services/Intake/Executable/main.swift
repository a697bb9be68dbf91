import Intake

print("motcua-intake")
