"""Column names and category values of the origin (seed) customer table.

Constants only, so every module (core and dashboard) agrees on the schema
without importing anything heavier than this file.
"""

SEED_ID = "customer_id"

SEED_NUMERIC = (
    "annual_income",
    "spending_score",
    "number_of_purchases",
    "age",
    "years_with_company",
    "average_order_value",
    "activity_per_week",
)

SEED_CATEGORICAL = "product_category"

PRODUCT_CATEGORIES = ("electronics", "fashion", "home_goods", "beauty")
