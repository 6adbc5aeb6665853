namespace CodespaceRegistry.Access
{
    /// <summary>The stable ids of the rules a <see cref="PackageAccessDecision"/> names, in the order they are tried.</summary>
    public static class PackageAccessRule
    {
        /// <summary>Publishing to GitHub Packages from a codespace needs a personal access token (classic) with write:packages.</summary>
        public const string PublishNeedsClassicPat = nameof(PublishNeedsClassicPat);

        /// <summary>Maven, Gradle and the old Docker registry are repository-scoped: no grants, no seamless access.</summary>
        public const string RepositoryScopedRegistry = nameof(RepositoryScopedRegistry);

        /// <summary>The package's visibility and linked repository could not be read.</summary>
        public const string PackageFactsUnavailable = nameof(PackageFactsUnavailable);

        /// <summary>A public package: anyone pulls it.</summary>
        public const string PublicPackage = nameof(PublicPackage);

        /// <summary>Published from the codespace's repository with "Inherit access from repo": seamless.</summary>
        public const string SameRepository = nameof(SameRepository);

        /// <summary>Published from the codespace's repository, but whether it inherits access is not known.</summary>
        public const string InheritAccessUnknown = nameof(InheritAccessUnknown);

        /// <summary>Published from the codespace's repository with "Inherit access from repo" unselected.</summary>
        public const string InheritAccessOff = nameof(InheritAccessOff);

        /// <summary>Owned by another user or organization than the repository: grants cannot reach it.</summary>
        public const string OtherOwner = nameof(OtherOwner);

        /// <summary>A public repository reaches an internal or private package only when granted explicitly.</summary>
        public const string PublicRepositoryNeedsGrant = nameof(PublicRepositoryNeedsGrant);

        /// <summary>An internal package is visible to every codespace of its organization.</summary>
        public const string InternalPackage = nameof(InternalPackage);

        /// <summary>The package's settings grant the repository access.</summary>
        public const string ExplicitGrant = nameof(ExplicitGrant);

        /// <summary>A private package reaches other repositories of its owner only through a grant.</summary>
        public const string PrivatePackageNeedsGrant = nameof(PrivatePackageNeedsGrant);

        /// <summary>A complete, readable secret set names the package's server.</summary>
        public const string SecretSetForServer = nameof(SecretSetForServer);

        /// <summary>The only set that names the server lacks one of its three secrets.</summary>
        public const string IncompleteSecretSet = nameof(IncompleteSecretSet);

        /// <summary>A registry that serves every image anonymously (mcr.microsoft.com, ECR Public, Docker Hub official images).</summary>
        public const string PublicRegistry = nameof(PublicRegistry);

        /// <summary>Sets listed through the API have no readable values: they might name the server.</summary>
        public const string SecretSetValuesUnreadable = nameof(SecretSetValuesUnreadable);

        /// <summary>No set names the server.</summary>
        public const string NoSecretSetForServer = nameof(NoSecretSetForServer);
    }
}
