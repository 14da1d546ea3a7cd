"""Platform operations: health, the OpenAPI document, the dev clock and job controls."""
