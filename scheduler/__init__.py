"""ShootPlan 短剧排期: plans micro-drama shoots across a cluster of shooting bases.

The package is layered; each layer imports only those below it (see
``docs/ARCHITECTURE.md``, checked by ``lint-imports``):

``domain`` → ``io`` and ``storage`` → ``check`` (and, beside it, the top-level
``solver`` package) → ``services`` and ``samples`` → ``app`` and ``cli``.
"""
