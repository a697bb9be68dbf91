import Communication

print("motcua-communication")
