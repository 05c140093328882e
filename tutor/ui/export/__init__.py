"""Reports and chart images written to files the learner chooses."""
