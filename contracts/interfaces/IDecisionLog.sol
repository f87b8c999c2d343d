// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title IDecisionLog
 * @notice The interface of the DAO's append-only log of automated decisions: its enums, stored
 * struct, events, errors and functions. Contracts that read decisions, and the platform's TypeScript
 * side (the protocol package), depend on this file rather than on the implementation.
 */
interface IDecisionLog {
    /// @notice What kind of automated decision an entry records.
    enum Kind {
        Analysis, // the analyst's report on a proposal
        Draft, // a proposal the analyst drafted from an intent
        ExecutionGuard // the executor refused or held a queue/execute
    }

    /// @notice The recommendation carried by a decision (mirrors the report's `recommendation`).
    enum Recommendation {
        For,
        Against,
        Abstain,
        NeedsReview
    }

    /**
     * @notice How a report's bytes encode its canonical JSON. The chain never decodes them: it checks
     * `keccak256(report)` and records the encoding so readers know how to get the JSON back.
     */
    enum ReportEncoding {
        Json, // the canonical JSON's UTF-8 bytes as they are
        DeflateRaw, // the canonical JSON's UTF-8 bytes compressed with raw DEFLATE (RFC 1951, no zlib or gzip header)
        // The same against a preset dictionary (zlib's): the 7,241 bytes of the platform's report
        // dictionary, version 1, with keccak256
        // 0x766a40dc8c94d137ed6e235aa2cfd64dd9c49e437f4d53933f474cb4f460fa70
        // (REPORT_DICTIONARY_1 in @ai-dao/reports). An inflater without preset dictionaries reads it
        // with the dictionary put in front as a stored block (plainDeflateRaw there).
        DeflateRawDictionary1
    }

    /**
     * @notice What the log keeps in storage about the latest decision of a kind about a proposal, in
     * one slot: a contract reads it with a single storage read, and a first decision about a proposal
     * writes one new slot. Everything else about a decision, its report hash and bytes included, is
     * in its {DecisionPublished} event, which the chain emits only after checking the hash.
     */
    struct Latest {
        uint64 decisionIdPlusOne; // 0: no decision of this kind about the proposal
        uint8 risk;
        uint48 timestamp;
    }

    /// @notice The caller is not an authorised publisher.
    error DecisionLogUnauthorizedPublisher(address caller);
    /// @notice The caller is not governance.
    error DecisionLogOnlyGovernance(address caller);
    /// @notice The zero address cannot be governance or a publisher.
    error DecisionLogZeroAddress();
    /// @notice The report bytes do not hash to the given hash.
    error DecisionLogHashMismatch(bytes32 given, bytes32 computed);
    /// @notice The report is larger than {MAX_REPORT_BYTES}.
    error DecisionLogReportTooLarge(uint256 size, uint256 maxSize);
    /// @notice The report is empty.
    error DecisionLogEmptyReport();
    /// @notice The risk score is above {MAX_RISK}.
    error DecisionLogInvalidRisk(uint256 risk);
    /// @notice No decision of `kind` exists for `proposalId`.
    error DecisionLogNoDecision(uint256 proposalId, Kind kind);

    /**
     * @notice Emitted for every published decision, with the report's exact bytes.
     * @param decisionId Sequential id of the decision (0 for the first).
     * @param proposalId The Governor proposal the decision is about.
     * @param kind What kind of decision it is.
     * @param actor The publisher.
     * @param risk Risk score, 0 to 100.
     * @param recommendation The decision's recommendation.
     * @param encoding How `report` encodes the canonical JSON.
     * @param reportHash keccak256 of `report`.
     * @param report The report's exact bytes (canonical JSON, encoded as `encoding` says).
     */
    event DecisionPublished(
        uint256 decisionId,
        uint256 indexed proposalId,
        Kind indexed kind,
        address indexed actor,
        uint8 risk,
        Recommendation recommendation,
        ReportEncoding encoding,
        bytes32 reportHash,
        bytes report
    );

    /**
     * @notice Emitted when governance authorises or revokes a publisher.
     * @param account The publisher.
     * @param authorised Whether `account` may publish after the change.
     */
    event PublisherSet(address indexed account, bool authorised);

    /// @notice Largest accepted report, in bytes.
    function MAX_REPORT_BYTES() external view returns (uint256);

    /// @notice Highest risk score.
    function MAX_RISK() external view returns (uint8);

    /// @notice The account allowed to authorise publishers: the DAO's timelock.
    function governance() external view returns (address);

    /**
     * @notice Authorises or revokes a publisher. Only governance may call this.
     * @param account The publisher.
     * @param authorised Whether `account` may publish after the call.
     */
    function setPublisher(address account, bool authorised) external;

    /**
     * @notice Publishes a decision. The report's bytes, exactly as sent, must hash to `reportHash`;
     * the chain does not decode them, it records `encoding` for readers.
     * @param proposalId The proposal the decision is about.
     * @param kind The kind of decision.
     * @param risk Risk score, 0 to 100.
     * @param recommendation The recommendation.
     * @param encoding How `report` encodes the canonical JSON (a value outside the enum reverts).
     * @param reportHash keccak256 of `report`.
     * @param report The report's exact bytes, at most {MAX_REPORT_BYTES}.
     * @return decisionId The id of the new decision.
     */
    function publish(
        uint256 proposalId,
        Kind kind,
        uint8 risk,
        Recommendation recommendation,
        ReportEncoding encoding,
        bytes32 reportHash,
        bytes calldata report
    ) external returns (uint256 decisionId);

    /// @notice Whether `account` may publish.
    function isPublisher(address account) external view returns (bool);

    /// @notice Number of decisions published so far.
    function decisionCount() external view returns (uint256);

    /// @notice Whether any decision of `kind` was published for `proposalId`.
    function hasDecision(uint256 proposalId, Kind kind) external view returns (bool);

    /**
     * @notice The id, risk and time of the latest decision of `kind` about `proposalId`; its report
     * hash and bytes are in the {DecisionPublished} event with that id. Reverts with
     * {DecisionLogNoDecision} when there is none.
     */
    function latestDecision(uint256 proposalId, Kind kind) external view returns (uint256 decisionId, uint8 risk, uint48 timestamp);

    /**
     * @notice Whether a decision of `kind` was published for `proposalId`, and the risk of the latest
     * one (0 when none): what a contract needs to act on the latest analysis, in one storage read.
     */
    function latestRisk(uint256 proposalId, Kind kind) external view returns (bool published, uint8 risk);
}
