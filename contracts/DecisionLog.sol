// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title DecisionLog
 * @notice Append-only, on-chain record of every automated decision about a proposal: analyses,
 * drafts and executor guard decisions. Each entry commits to the exact bytes of its report: the
 * contract checks that the bytes hash to the given keccak256, stores the hash with the small fields,
 * and emits the full bytes in {DecisionPublished}, so anyone can re-hash what was published.
 * @dev Only publishers authorised by governance (the timelock) may publish. Nothing can be edited
 * or removed once published.
 */
contract DecisionLog {
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

    /// @notice The small fields kept in storage for each decision.
    struct Decision {
        uint256 proposalId;
        bytes32 reportHash;
        address actor;
        Kind kind;
        uint8 risk;
        Recommendation recommendation;
        uint48 timestamp;
    }

    /// @notice Largest accepted report, in bytes.
    uint256 public constant MAX_REPORT_BYTES = 32 * 1024;
    /// @notice Highest risk score.
    uint8 public constant MAX_RISK = 100;

    /// @notice The account allowed to authorise publishers: the DAO's timelock.
    address public immutable governance;

    mapping(address account => bool) private _publishers;
    Decision[] private _decisions;
    /// @dev proposalId => kind => index + 1 of the latest decision (0: none).
    mapping(uint256 proposalId => mapping(Kind kind => uint256)) private _latest;

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
    /// @notice No decision has id `decisionId`.
    error DecisionLogUnknownDecision(uint256 decisionId);

    /**
     * @notice Emitted for every published decision, with the report's exact bytes.
     * @param decisionId Sequential id of the decision (its index in the log).
     * @param proposalId The Governor proposal the decision is about.
     * @param kind What kind of decision it is.
     * @param actor The publisher.
     * @param risk Risk score, 0 to 100.
     * @param recommendation The decision's recommendation.
     * @param reportHash keccak256 of `report`.
     * @param report The report's exact bytes (canonical JSON).
     */
    event DecisionPublished(
        uint256 decisionId,
        uint256 indexed proposalId,
        Kind indexed kind,
        address indexed actor,
        uint8 risk,
        Recommendation recommendation,
        bytes32 reportHash,
        bytes report
    );

    /**
     * @notice Emitted when governance authorises or revokes a publisher.
     * @param account The publisher.
     * @param authorised Whether `account` may publish after the change.
     */
    event PublisherSet(address indexed account, bool authorised);

    /**
     * @param governance_ The timelock that governs the set of publishers.
     * @param initialPublishers Publishers authorised at deployment (the analyst and the executor).
     */
    constructor(address governance_, address[] memory initialPublishers) {
        if (governance_ == address(0)) revert DecisionLogZeroAddress();
        governance = governance_;
        for (uint256 i = 0; i < initialPublishers.length; ++i) {
            _setPublisher(initialPublishers[i], true);
        }
    }

    /**
     * @notice Authorises or revokes a publisher. Only governance (the timelock) may call this.
     * @param account The publisher.
     * @param authorised Whether `account` may publish after the call.
     */
    function setPublisher(address account, bool authorised) external {
        if (msg.sender != governance) revert DecisionLogOnlyGovernance(msg.sender);
        _setPublisher(account, authorised);
    }

    /**
     * @notice Publishes a decision. The report's bytes must hash to `reportHash`.
     * @param proposalId The proposal the decision is about.
     * @param kind The kind of decision.
     * @param risk Risk score, 0 to 100.
     * @param recommendation The recommendation.
     * @param reportHash keccak256 of `report`.
     * @param report The report's exact bytes, at most {MAX_REPORT_BYTES}.
     * @return decisionId The id of the new decision.
     */
    function publish(
        uint256 proposalId,
        Kind kind,
        uint8 risk,
        Recommendation recommendation,
        bytes32 reportHash,
        bytes calldata report
    ) external returns (uint256 decisionId) {
        if (!_publishers[msg.sender]) revert DecisionLogUnauthorizedPublisher(msg.sender);
        if (risk > MAX_RISK) revert DecisionLogInvalidRisk(risk);
        if (report.length == 0) revert DecisionLogEmptyReport();
        if (report.length > MAX_REPORT_BYTES) revert DecisionLogReportTooLarge(report.length, MAX_REPORT_BYTES);
        bytes32 computed = keccak256(report);
        if (computed != reportHash) revert DecisionLogHashMismatch(reportHash, computed);

        decisionId = _decisions.length;
        _decisions.push(
            Decision({
                proposalId: proposalId,
                reportHash: reportHash,
                actor: msg.sender,
                kind: kind,
                risk: risk,
                recommendation: recommendation,
                timestamp: uint48(block.timestamp)
            })
        );
        _latest[proposalId][kind] = decisionId + 1;
        emit DecisionPublished(decisionId, proposalId, kind, msg.sender, risk, recommendation, reportHash, report);
    }

    /// @notice Whether `account` may publish.
    function isPublisher(address account) external view returns (bool) {
        return _publishers[account];
    }

    /// @notice Number of decisions published so far.
    function decisionCount() external view returns (uint256) {
        return _decisions.length;
    }

    /// @notice The decision with id `decisionId`.
    function decision(uint256 decisionId) external view returns (Decision memory) {
        if (decisionId >= _decisions.length) revert DecisionLogUnknownDecision(decisionId);
        return _decisions[decisionId];
    }

    /// @notice Whether any decision of `kind` was published for `proposalId`.
    function hasDecision(uint256 proposalId, Kind kind) external view returns (bool) {
        return _latest[proposalId][kind] != 0;
    }

    /**
     * @notice The latest decision of `kind` about `proposalId`, with its id. Reverts with
     * {DecisionLogNoDecision} when there is none.
     */
    function latestDecision(uint256 proposalId, Kind kind) external view returns (uint256 decisionId, Decision memory) {
        uint256 indexPlusOne = _latest[proposalId][kind];
        if (indexPlusOne == 0) revert DecisionLogNoDecision(proposalId, kind);
        decisionId = indexPlusOne - 1;
        return (decisionId, _decisions[decisionId]);
    }

    function _setPublisher(address account, bool authorised) internal {
        if (account == address(0)) revert DecisionLogZeroAddress();
        _publishers[account] = authorised;
        emit PublisherSet(account, authorised);
    }
}
