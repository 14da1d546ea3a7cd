"""The local stack: the whole platform in one process tree on one machine, no AWS account."""
