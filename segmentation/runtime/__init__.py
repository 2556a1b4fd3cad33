"""Runtime: the byte-budgeted cache shared by the dashboard's sessions and the process's memory settings."""
