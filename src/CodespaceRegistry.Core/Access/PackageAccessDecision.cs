using System;
using System.Collections.Generic;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Access
{
    /// <summary>The facts a decision rests on; null where they are not known (never filled in by assumption).</summary>
    public sealed class PackageAccessFacts
    {
        /// <summary>The package's registry host.</summary>
        public string Registry { get; internal set; } = "";

        public RegistryKind RegistryKind { get; internal set; }

        /// <summary>The user or organization that owns the package.</summary>
        public string? PackageOwner { get; internal set; }

        public Visibility? PackageVisibility { get; internal set; }

        /// <summary>The repository the package is linked to (<c>owner/name</c>).</summary>
        public string? LinkedRepository { get; internal set; }

        /// <summary>The owner of the codespace's repository.</summary>
        public string? RepositoryOwner { get; internal set; }

        /// <summary>Visibility of the codespace's repository.</summary>
        public Visibility? RepositoryVisibility { get; internal set; }

        /// <summary>"Inherit access from source repository", as given with -InheritAccess (the API does not show it).</summary>
        public bool? InheritAccess { get; internal set; }

        /// <summary>Whether the package's settings grant the repository access, as given with -GrantedRepository (the API does not show it).</summary>
        public bool? Granted { get; internal set; }

        /// <summary>Why the package facts could not be read, or null.</summary>
        public string? Unavailable { get; internal set; }
    }

    /// <summary>How a codespace of <see cref="Repository"/> can reach <see cref="Package"/>, which rule decided it, and what to do.</summary>
    public sealed class PackageAccessDecision
    {
        internal PackageAccessDecision(string package, string repository, PackageOperation operation, PackageAccessOutcome outcome,
            string rule, string reason, string fix, string? settingsUrl, PackageAccessFacts facts, IReadOnlyList<string> secretSets)
        {
            Package = package;
            Repository = repository;
            Operation = operation;
            Outcome = outcome;
            Rule = rule;
            Reason = reason;
            Fix = fix;
            SettingsUrl = settingsUrl;
            Facts = facts;
            SecretSets = secretSets;
        }

        /// <summary>The package as given.</summary>
        public string Package { get; }

        /// <summary>The codespace's repository, <c>owner/name</c>.</summary>
        public string Repository { get; }

        public PackageOperation Operation { get; }

        public PackageAccessOutcome Outcome { get; }

        /// <summary>The id of the rule that decided, one of <see cref="PackageAccessRule"/>.</summary>
        public string Rule { get; }

        /// <summary>Why, in a sentence or two.</summary>
        public string Reason { get; }

        /// <summary>What to do; "Nothing to do." when access works.</summary>
        public string Fix { get; }

        /// <summary>Where to act: the package's settings, the repository's Codespaces secrets, or the token page.</summary>
        public string? SettingsUrl { get; }

        public PackageAccessFacts Facts { get; }

        /// <summary>The secret sets that cover the package's server, or that might (their values unreadable).</summary>
        public IReadOnlyList<string> SecretSets { get; }

        /// <summary>True when the codespace reaches the package as things are, false when it does not, null when that is not known (Undetermined).</summary>
        public bool? IsAllowed => Outcome switch
        {
            PackageAccessOutcome.Public or PackageAccessOutcome.Seamless or PackageAccessOutcome.CoveredBySecretSet => true,
            PackageAccessOutcome.Undetermined => null,
            _ => false,
        };

        public override string ToString() => $"{Package} from {Repository}: {Outcome} ({Rule})";
    }
}
