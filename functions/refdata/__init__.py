"""Reference data shared by every platform: who the organisations are and how to check them.

- `uscc`: unified social credit codes (统一社会信用代码, GB 32100-2015), validated through
  python-stdnum.
- `divisions`: the Qingdao administrative divisions (GB/T 2260) and which jurisdiction covers which.
- `enterprise_size`: the MIIT 2011 enterprise-size standard (工信部联企业〔2011〕300号) and the
  GB/T 4754 industry-code → regulation-group mapping.
- `demo`: typed loader of `data/special_action.json` (the special action's 10 key areas and
  35 participating units, verbatim) and `data/demo.json` (demo units, enterprises, banks, users).
- `models`: the `Organisation` PynamoDB model and the idempotent demo seeder.

See README.md in this package for sources and id conventions.
"""
