import Digitization

print("motcua-digitization")
