// Messages: placeholder, filled by its issue.
