// RPC: placeholder, filled by its issue.
