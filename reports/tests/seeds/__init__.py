"""The four LHTL seeds (the build machine's shared/seeds/000-003) as data kept in the repository.

``seed_000`` ... ``seed_003`` hold what each seed prints (cover, headings, tables,
RTL items, conclusion, signature) with a note of where each element came from,
and answer distributions made by hand to reproduce the seed's Tabel 1.
``build.build_case(seed)`` creates the unit's case through the product's services.
Nothing here reads ../shared at run time.
"""
