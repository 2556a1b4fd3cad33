"""The findings catalogue by family: each module lists the kinds of one part of the core."""
