"""Dialogs opened from the window (always with open()/show(), never exec())."""
