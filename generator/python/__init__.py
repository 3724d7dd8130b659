"""The Python target: one naming pass over the API, and the views the client and server templates print."""
