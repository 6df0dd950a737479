"""The rules of Permenpan RB 14/2017 and the product's formatting, Django-free.

Nothing in this package imports Django: every rule here is tested against hand
arithmetic. Dependency order: ``skm.rules`` < ``surveys`` < ``followup`` < ``reports``.
"""
