"""Local fakes of outside services, reached over real HTTP through their base-URL settings."""
