import Payment

print("motcua-payment")
