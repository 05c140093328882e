"""Qt widgets. They present what the controller reports; they never run experiments."""
