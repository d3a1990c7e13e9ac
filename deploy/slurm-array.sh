#!/bin/bash
# Grade a class on a Slurm cluster: one array task per shard.
#
#   sbatch deploy/slurm-array.sh                 (from the course folder)
#   sbatch --dependency=afterok:<jobid> --wrap \
#     ".venv/bin/autograder merge shards/shard-*.json --json results.json --course ."
#
# Each task grades the share SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 of
# SLURM_ARRAY_TASK_COUNT (the kit reads them) into shards/shard-<id>.json; only the merge writes
# the results, reports and gradebook.  A failed task is rerun alone with
# `sbatch --array=<id> deploy/slurm-array.sh`, and the merge names any shard still missing.
# Each task's log is slurm-<jobid>_<task>.out in the course folder: Slurm opens it before the
# script runs, so it cannot go into shards/, which the script itself creates.
#SBATCH --job-name=rnn-sum-grading
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=01:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail
mkdir -p shards
exec .venv/bin/autograder grade submitted --json "shards/shard-${SLURM_ARRAY_TASK_ID}.json" --quiet
