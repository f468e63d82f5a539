"""Every write of the transfer pipeline; tasks and views call these and nothing else."""
