namespace CodespaceRegistry.Access
{
    /// <summary>How a codespace of a repository can reach a package.</summary>
    public enum PackageAccessOutcome
    {
        /// <summary>The package is public: anyone can pull it, no login needed.</summary>
        Public = 0,

        /// <summary>The codespace pulls it with its own token, no secrets needed.</summary>
        Seamless,

        /// <summary>The package's settings must grant the repository access (the API cannot show whether they do).</summary>
        NeedsGrant,

        /// <summary>A readable registry secret set names the package's server.</summary>
        CoveredBySecretSet,

        /// <summary>A registry secret set for the package's server is needed.</summary>
        NeedsSecretSet,

        /// <summary>A personal access token (classic) with the packages scopes is needed.</summary>
        NeedsClassicPat,

        /// <summary>A fact that decides it is unknown; the decision says which and where to check it by hand.</summary>
        Undetermined,
    }

    /// <summary>What the codespace wants to do with the package.</summary>
    public enum PackageOperation
    {
        Pull = 0,
        Publish,
    }

    /// <summary>Visibility of a package or a repository, as the GitHub API reports it.</summary>
    public enum Visibility
    {
        Public = 0,
        Private,
        Internal,
    }
}
