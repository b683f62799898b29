// Transport: placeholder, filled by its issue.
