"""Services that change the organisation's reference data (teams, workers).

Recording about a child lives in :mod:`diogel.recording.services`.
"""
