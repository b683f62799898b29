// FindReviewerDomain: placeholder, filled by its issue.
