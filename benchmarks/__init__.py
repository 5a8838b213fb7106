"""The build benchmark: generated content at blog scale, timed builds, results."""
