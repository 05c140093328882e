"""Qt, but no widgets: turns engine events into signals. The only bridge between the layers."""
