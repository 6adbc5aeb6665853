using System;

namespace CodespaceRegistry.Ecr
{
    /// <summary>Turns AWS's error codes into the fix a user can make. One place for every AWS error.</summary>
    public static class AwsErrors
    {
        /// <param name="error">What AWS answered.</param>
        /// <param name="endpoint">The endpoint that answered.</param>
        /// <param name="accessKeyId">The key id that signed (an identity, not a secret).</param>
        public static RegistryException ToRegistryException(AwsApiException error, AwsEndpoint endpoint, string accessKeyId)
        {
            var code = error.ErrorCode;
            var message = error.AwsMessage ?? "";
            var where = $"{endpoint.Url.Host} ({endpoint.Region})";
            switch (code)
            {
                case "UnrecognizedClientException":
                case "InvalidClientTokenId":
                    return new RegistryException("AwsAccessKeyUnknown", ErrorKind.Authentication,
                        $"AWS does not know the access key id {accessKeyId} ({where} answered {code}): it was deleted or deactivated, belongs to another partition, or the region is not enabled for the account. " +
                        "Create an access key for the IAM user in the IAM console and store its id in the set's USER secret and its secret key in PASSWORD.", error);
                case "InvalidSignatureException":
                case "SignatureDoesNotMatch":
                case "IncompleteSignatureException":
                    if (message.IndexOf("Signature expired", StringComparison.OrdinalIgnoreCase) >= 0 ||
                        message.IndexOf("Signature not yet current", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return new RegistryException("AwsClockSkew", ErrorKind.Authentication,
                            $"AWS refused the request's date ({where}: {message}); requests must be signed within 5 minutes of AWS's clock. Correct this machine's clock (enable NTP) and try again.", error);
                    }
                    if (message.IndexOf("scoped to", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return new RegistryException("AwsRegionMismatch", ErrorKind.InvalidArgument,
                            $"The request was signed for region {endpoint.Region} but {endpoint.Url.Host} serves another ({message}). " +
                            "Make the region in the registry host match the endpoint: check the SERVER secret and any AWS_ENDPOINT_URL_* variable.", error);
                    }
                    return new RegistryException("AwsSecretKeyWrong", ErrorKind.Authentication,
                        $"AWS rejected the signature made with the secret key of {accessKeyId} ({where} answered {code}): the secret key does not belong to that access key id. " +
                        "Store the secret access key that was shown when the key was created in the set's PASSWORD secret, without spaces or quotes; if it is lost, create a new access key.", error);
                case "AccessDeniedException":
                case "AccessDenied":
                    return new RegistryException("AwsPermissionDenied", ErrorKind.PermissionDenied, PermissionMessage(endpoint, accessKeyId, message), error);
                case "ExpiredTokenException":
                case "ExpiredToken":
                    return new RegistryException("AwsCredentialsExpired", ErrorKind.Authentication,
                        $"AWS says the credentials of {accessKeyId} have expired ({where}). Temporary credentials cannot be stored in a secret set: store a long-lived IAM user access key (AKIA…) instead.", error);
                case "MalformedResponse":
                    return new RegistryException("AwsResponseMalformed", ErrorKind.InvalidData,
                        $"{where} answered {error.StatusCode} with something that is not an {endpoint.Service} answer ({message}). " +
                        $"Check {AwsEndpoint.OverrideVariable(endpoint.Service)} (and AWS_ENDPOINT_URL) if set, and any proxy between this machine and AWS.", error);
                case "ResponseTooLarge":
                    return new RegistryException("AwsResponseTooLarge", ErrorKind.LimitsExceeded,
                        $"{where} sent an answer larger than any {endpoint.Service} answer ({message}). " +
                        $"Check {AwsEndpoint.OverrideVariable(endpoint.Service)} (and AWS_ENDPOINT_URL) if set, and any proxy between this machine and AWS.", error);
                default:
                    return new RegistryException("AwsRequestFailed", error.StatusCode >= 500 ? ErrorKind.Connection : ErrorKind.Other,
                        $"{where} answered {error.StatusCode} {code}: {message}" +
                        (error.StatusCode >= 500 ? " AWS had a problem; try again later." : " Check the set's values and the key's IAM permissions."), error);
            }
        }

        private static string PermissionMessage(AwsEndpoint endpoint, string accessKeyId, string message)
        {
            var needs = endpoint.Service switch
            {
                AwsService.EcrPublic => "ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken",
                AwsService.Sts => "sts:GetCallerIdentity (allowed to every principal unless an SCP denies it)",
                _ => "ecr:GetAuthorizationToken (plus ecr:BatchGetImage and ecr:GetDownloadUrlForLayer to pull; the Codespaces docs also name sts:GetServiceBearerToken)",
            };
            return $"The IAM principal of {accessKeyId} may not call {endpoint.SigningName} ({message}). Grant it {needs} in an IAM policy, or use a key whose principal has them.";
        }
    }
}
