"""Small widgets and helpers shared by panels: accessibility, announcements, warnings."""
