"""What the admins watch: the dashboard's figures and the rollup that keeps them quick."""
