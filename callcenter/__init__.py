"""The call-takers' browser console."""
