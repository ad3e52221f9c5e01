"""The app layer: the run folder, presets, the pipeline and its stages, the bench, the dry run, the job, time to quality and the `gdnb` command."""
