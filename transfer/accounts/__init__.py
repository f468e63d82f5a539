"""The signed-in person's account: the connected Amazon account, disconnect, delete my data."""
