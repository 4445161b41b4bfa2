"""A load test with Locust that ramps up until the platform\x27s p95 passes its limit."""
