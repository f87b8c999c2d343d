// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDecisionLog} from "./interfaces/IDecisionLog.sol";

/**
 * @title DecisionLog
 * @notice Append-only, on-chain record of every automated decision about a proposal: analyses,
 * drafts and executor guard decisions. Each entry commits to the exact bytes of its report: the
 * contract checks that the bytes hash to the given keccak256 and emits the hash, the small fields and
 * the full bytes in {DecisionPublished}, so anyone can re-hash what was published. The
 * bytes are the report's canonical JSON, as they are or compressed ({ReportEncoding}); the entry
 * records which, and the chain never decodes them.
 * Its enums, struct, events and errors are declared in {IDecisionLog}.
 * @dev Only publishers authorised by governance (the timelock) may publish. Nothing can be edited
 * or removed once published: events are part of the chain's history. Storage keeps only what
 * contracts act on (the latest decision of each kind about a proposal: its id, risk and time, one
 * slot) and the count, so a publish costs little more than its bytes (a first decision about a
 * proposal writes one new slot).
 */
contract DecisionLog is IDecisionLog {
    /// @inheritdoc IDecisionLog
    uint256 public constant MAX_REPORT_BYTES = 32 * 1024;
    /// @inheritdoc IDecisionLog
    uint8 public constant MAX_RISK = 100;

    /// @inheritdoc IDecisionLog
    address public immutable governance;

    mapping(address account => bool) private _publishers;
    uint256 private _decisionCount;
    mapping(uint256 proposalId => mapping(Kind kind => Latest)) private _latest;

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

    /// @inheritdoc IDecisionLog
    function setPublisher(address account, bool authorised) external {
        if (msg.sender != governance) revert DecisionLogOnlyGovernance(msg.sender);
        _setPublisher(account, authorised);
    }

    /// @inheritdoc IDecisionLog
    function publish(
        uint256 proposalId,
        Kind kind,
        uint8 risk,
        Recommendation recommendation,
        ReportEncoding encoding,
        bytes32 reportHash,
        bytes calldata report
    ) external returns (uint256 decisionId) {
        if (!_publishers[msg.sender]) revert DecisionLogUnauthorizedPublisher(msg.sender);
        if (risk > MAX_RISK) revert DecisionLogInvalidRisk(risk);
        if (report.length == 0) revert DecisionLogEmptyReport();
        if (report.length > MAX_REPORT_BYTES) revert DecisionLogReportTooLarge(report.length, MAX_REPORT_BYTES);
        bytes32 computed = keccak256(report);
        if (computed != reportHash) revert DecisionLogHashMismatch(reportHash, computed);

        decisionId = _decisionCount++;
        _latest[proposalId][kind] = Latest({decisionIdPlusOne: uint64(decisionId + 1), risk: risk, timestamp: uint48(block.timestamp)});
        emit DecisionPublished(decisionId, proposalId, kind, msg.sender, risk, recommendation, encoding, reportHash, report);
    }

    /// @inheritdoc IDecisionLog
    function isPublisher(address account) external view returns (bool) {
        return _publishers[account];
    }

    /// @inheritdoc IDecisionLog
    function decisionCount() external view returns (uint256) {
        return _decisionCount;
    }

    /// @inheritdoc IDecisionLog
    function hasDecision(uint256 proposalId, Kind kind) external view returns (bool) {
        return _latest[proposalId][kind].decisionIdPlusOne != 0;
    }

    /// @inheritdoc IDecisionLog
    function latestDecision(uint256 proposalId, Kind kind) external view returns (uint256 decisionId, uint8 risk, uint48 timestamp) {
        Latest memory latest = _latest[proposalId][kind];
        if (latest.decisionIdPlusOne == 0) revert DecisionLogNoDecision(proposalId, kind);
        return (latest.decisionIdPlusOne - 1, latest.risk, latest.timestamp);
    }

    /// @inheritdoc IDecisionLog
    function latestRisk(uint256 proposalId, Kind kind) external view returns (bool published, uint8 risk) {
        Latest memory latest = _latest[proposalId][kind];
        return (latest.decisionIdPlusOne != 0, latest.risk);
    }

    function _setPublisher(address account, bool authorised) internal {
        if (account == address(0)) revert DecisionLogZeroAddress();
        _publishers[account] = authorised;
        emit PublisherSet(account, authorised);
    }
}
