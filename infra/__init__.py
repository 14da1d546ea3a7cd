"""Build and packaging of the platform's stacks: stages, dependency layer, CloudFormation, IAM.

Entry point: `python -m infra.build` (see infra/README.md). `infra/local/` is the local stack.
"""
