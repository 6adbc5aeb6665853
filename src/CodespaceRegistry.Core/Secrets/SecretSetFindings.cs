namespace CodespaceRegistry.Secrets
{
    /// <summary>The findings every reader of sets reports the same way, wherever the secrets were found.</summary>
    internal static class SecretSetFindings
    {
        public static SecretSetFinding Misnamed(string secretName, string suggestion) =>
            new SecretSetFinding("MisnamedSecret", FindingSeverity.Error,
                $"{secretName} is not one of the three names a registry set uses, so it is ignored.",
                $"Rename the secret to {suggestion}.", secretName);

        public static SecretSetFinding Incomplete(string id, string missingName) =>
            new SecretSetFinding("IncompleteSet", FindingSeverity.Error,
                $"The set {id} has no {missingName}; a set needs all three secrets.",
                $"Add the secret {missingName} at the same level as the others, then stop and start the codespace.", missingName);

        /// <summary>InvalidSecretName when the identifier makes names GitHub refuses, else null.</summary>
        public static SecretSetFinding? InvalidIdentifier(string id) =>
            SecretNames.Validate(SecretNames.NameOf(id, SecretPart.Server)) is string why
                ? new SecretSetFinding("InvalidSecretName", FindingSeverity.Error,
                    $"The identifier '{id}' makes names GitHub refuses: {why}",
                    "Choose an identifier of letters, digits and underscores that starts with a letter and not with GITHUB_, such as ACME.")
                : null;
    }
}
