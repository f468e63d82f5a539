"""The staff dashboard at /staff/: jobs, throughput, failures, Amazon API use, queues, workers."""
