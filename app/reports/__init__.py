"""The digital reporting point and the contact form."""
