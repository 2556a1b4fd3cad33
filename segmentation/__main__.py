import gc
import sys

from .cli import main

code = main()
# The process ends here and takes its objects with it. Frozen, they are not walked
# one last time by the collector at exit: a walk over everything pandas, scikit-learn
# and SciPy created (how long: docs/benchmarks.md, “Figures behind the code”).
gc.freeze()
sys.exit(code)
