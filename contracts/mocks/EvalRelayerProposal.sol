// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @dev Evaluation fixture for the analyst: the shape of the Tornado Cash governance attack's proposal
 * (May 2023). `executeProposal` does what the description says; `emergencyStop` removes the contract,
 * after which a CREATE2 deployer can put different code at the same address before execution. It is
 * deployed through {ExecCreate2Factory}, as the attacker's was through a CREATE2 deployer. No
 * constructor state, so the factory can copy its code. Not for deployment.
 */
contract EvalRelayerProposal {
    event RelayersPenalised(uint256 count);

    /// @notice What the vote is about: penalise the relayers that cheated.
    function executeProposal() external {
        emit RelayersPenalised(3);
    }

    /// @notice Removes the code (before Cancun, or in the creating transaction) and sends the balance to the caller.
    function emergencyStop() external {
        selfdestruct(payable(msg.sender));
    }
}
