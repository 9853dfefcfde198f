"""The plain data that flows from one stage to the next."""
